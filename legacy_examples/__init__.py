"""Real legacy applications (Flask, Django) with their own test suites, untouched by the toolkit."""
