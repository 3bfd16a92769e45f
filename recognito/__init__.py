"""Recognito: a self-hosted identity service speaking the Amazon Cognito User Pools API."""

__version__ = "0.1.0"
