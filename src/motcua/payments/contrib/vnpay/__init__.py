"""The VNPay gateway (version 2.1.0): payment URL, IPN and return page (shared/domain/integrations.md)."""
