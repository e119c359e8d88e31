"""Ignore comments at work: which findings they silence, and which of them silence nothing.

An ignore comment that no longer silences anything (the leak was fixed, the code moved) hides
the next real finding on that line. With `--report-unused-ignores` each one is reported as an
`unused-ignore` notice: not a finding, since it is no leak (it never fails the run, never
enters a baseline or code scanning), but shown where findings are shown, with its line.

Only what can be judged is judged: a comment naming specific rules, each of which ran on the
package as a static rule. Comments that silence every rule (`//nolint`, which serves other
linters too, `//nolint:golint-leaks`, a bare `//golint-leaks:ignore`), and rules that did not
run (disabled, runtime-only like GLK900, or failed) are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from linter.findings import UNUSED_IGNORE, Notice
from linter.registry import Rule
from linter.source import ALL_RULES, GoFile, Suppression


class SuppressionLog:
    """Answers "is this finding silenced?" for one package and remembers which comment
    silenced which rule, to tell the unused ones afterwards."""

    def __init__(self) -> None:
        self._used: set[tuple[str, int, str]] = set()  # (file, comment line, rule code)

    def silenced(self, go_file: GoFile, line: int, rule: Rule) -> bool:
        comments = go_file.suppressions_of(line, rule.code, rule.name)
        self._used.update((go_file.display_path, c.line, rule.code) for c in comments)
        return bool(comments)

    def unused(self, files: Iterable[GoFile], ran: Iterable[Rule]) -> list[Notice]:
        """One notice per comment naming rules that ran and silenced nothing."""
        by_token = {key: rule for rule in ran for key in (rule.code, rule.name)}
        notices = []
        for go_file in files:
            for comment in go_file.suppressions:
                if ALL_RULES in comment.rules:
                    continue
                idle = sorted(
                    {
                        rule.code
                        for token in comment.rules
                        if (rule := by_token.get(token)) is not None
                        and (go_file.display_path, comment.line, rule.code) not in self._used
                    }
                )
                if idle:
                    notices.append(_notice(go_file, comment, idle))
        return notices


def _notice(go_file: GoFile, comment: Suppression, codes: list[str]) -> Notice:
    where = "in this file" if comment.whole_file else "on this line or the next"
    kind = "file-ignore" if comment.whole_file else "ignore"
    return Notice(
        UNUSED_IGNORE,
        f"{', '.join(codes)}: this {kind} comment silences nothing {where}; remove it",
        go_file.display_path,
        codes[0],
        comment.line,
    )
