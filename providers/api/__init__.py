"""The REST API of the provider catalog: serializers, views, filters, urls."""
