"""Contract serializers, one module per resource."""
