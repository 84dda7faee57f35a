"""Contract views, one module per resource."""
