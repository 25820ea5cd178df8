"""What generated code needs from the runtime whatever the legacy framework was."""
