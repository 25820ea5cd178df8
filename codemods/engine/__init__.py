"""The codemod machinery shared by every source framework: rules, findings, headers, the runner."""
