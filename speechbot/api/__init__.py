"""The HTTP API: request/response models, dependencies, error mapping and routes."""
