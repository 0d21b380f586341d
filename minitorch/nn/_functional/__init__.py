"""Private implementations behind nn.functional, grouped by kind."""
