"""The embedded local stack: moto for AWS, the real handlers, a settable clock."""
