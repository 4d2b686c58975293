"""argparse in Vietnamese: an ArgumentParser that says its own words (usage, section titles,
-h, errors) in Vietnamese, without touching the argparse module for anyone else.

argparse builds its messages in English and hands them to `error()`; the ones a user of
`taphuan` meets are put into Vietnamese there, by their fixed English form. A message
argparse has no translation for here stays as argparse says it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

USAGE = "cách dùng: "
HELP = "hiện trợ giúp này rồi thoát"

# argparse's inner messages: the English pattern and its Vietnamese form.
_INNER: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"invalid (?P<type>.+?) value: (?P<value>.*)", re.S),
     "giá trị {type} không hợp lệ: {value}"),
    (re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", re.S),
     "lựa chọn không hợp lệ: {value} (chọn một trong {choices})"),
    (re.compile(r"expected one argument"), "cần một giá trị"),
    (re.compile(r"expected at least one argument"), "cần ít nhất một giá trị"),
    (re.compile(r"expected at most one argument"), "cần nhiều nhất một giá trị"),
    (re.compile(r"expected (?P<n>\d+) arguments?"), "cần {n} giá trị"),
    (re.compile(r"ignored explicit argument (?P<value>.*)", re.S), "không nhận giá trị {value}"),
    (re.compile(r"not allowed with argument (?P<other>.*)", re.S), "không dùng cùng với {other}"),
    (re.compile(r"can't open '(?P<filename>.*)': (?P<error>.*)", re.S),
     "không mở được “{filename}”: {error}"),
]  # fmt: skip
# argparse's whole messages (what error() receives).
_OUTER: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"unrecognized arguments: (?P<args>.*)", re.S),
     lambda m: f"tham số không nhận ra: {m['args']}"),
    (re.compile(r"the following arguments are required: (?P<names>.*)", re.S),
     lambda m: f"thiếu tham số bắt buộc: {m['names']}"),
    (re.compile(r"ambiguous option: (?P<option>.*?) could match (?P<matches>.*)", re.S),
     lambda m: f"tùy chọn mơ hồ: {m['option']} có thể là {m['matches']}"),
    (re.compile(r"one of the arguments (?P<names>.*) is required", re.S),
     lambda m: f"cần một trong các tham số {m['names']}"),
    (re.compile(r"unexpected option string: (?P<option>.*)", re.S),
     lambda m: f"tùy chọn không mong đợi: {m['option']}"),
    (re.compile(r"argument (?P<name>.*?): (?P<message>.*)", re.S),
     lambda m: f"tham số {m['name']}: {_inner(m['message'])}"),
]  # fmt: skip


def _inner(message: str) -> str:
    for pattern, words in _INNER:
        found = pattern.fullmatch(message)
        if found:
            return words.format(**found.groupdict())
    return message


def vietnamese(message: str) -> str:
    """argparse's English error message in Vietnamese (unchanged if it is not one of
    those put into Vietnamese here)."""
    for pattern, words in _OUTER:
        found = pattern.fullmatch(message)
        if found:
            return words(found)
    return message


class VietnameseHelpFormatter(argparse.HelpFormatter):
    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None,
    ) -> str:
        return super()._format_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class VietnameseParser(argparse.ArgumentParser):
    """The parser of `taphuan` and of each of its subcommands (add_subparsers makes the
    subcommands' parsers of the same class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", VietnameseHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = HELP

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {vietnamese(message)}\n")
