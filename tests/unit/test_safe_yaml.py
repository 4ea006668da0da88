import yaml

from briefgen.safe_yaml import alias_bomb

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_a_large_registry_without_aliases_is_not_a_bomb():
    text = "\n".join(f"s{i}:\n  url: https://e.org/{i}\n  title: T\n  kind: news" for i in range(40_000))
    assert alias_bomb(yaml.compose(text, Loader=LOADER)) is None


def test_nested_aliases_that_expand_a_billion_times_are_a_bomb():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdef", "bcdefg"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert alias_bomb(yaml.compose("\n".join(lines), Loader=LOADER)) is not None
