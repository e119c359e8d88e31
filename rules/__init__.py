"""One module per rule. A module declares code, name, summary, level, precision, tags, a
docstring with What it does / Why is this bad / Example / Use instead, and check(package)."""
