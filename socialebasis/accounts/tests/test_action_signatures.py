"""Every write of the accounts app names who acts: ``acting_user`` is a required keyword."""

import inspect

from socialebasis.accounts import actions


def test_every_action_takes_a_required_keyword_only_acting_user():
    functions = [
        function
        for name, function in inspect.getmembers(actions, inspect.isfunction)
        if name.startswith("do_") and function.__module__ == actions.__name__
    ]
    assert len(functions) >= 10
    for function in functions:
        parameter = inspect.signature(function).parameters.get("acting_user")
        assert parameter is not None, function.__name__
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, function.__name__
        assert parameter.default is inspect.Parameter.empty, function.__name__
