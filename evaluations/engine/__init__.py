"""The pure scoring engine: plain data in, plain data out, no Django."""
