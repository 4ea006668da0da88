import yaml

from briefgen.safe_yaml import alias_bomb, loader_for, nesting_bound, nesting_depth, unsafe_tags

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_a_large_registry_without_aliases_is_not_a_bomb():
    text = "\n".join(f"s{i}:\n  url: https://e.org/{i}\n  title: T\n  kind: news" for i in range(40_000))
    assert alias_bomb(yaml.compose(text, Loader=LOADER)) is None


def test_nested_aliases_that_expand_a_billion_times_are_a_bomb():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdef", "bcdefg"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert alias_bomb(yaml.compose("\n".join(lines), Loader=LOADER)) is not None


def test_a_large_flat_registry_keeps_the_fast_loader_and_deep_text_does_not():
    entry = 'reuters-2024-05-24-{n}:\n  url: "https://www.reuters.com/world/a-b-c-{n}/"\n  date: 2024-05-24\n  tags: [a, b]\n'
    flat = "".join(entry.format(n=n) for n in range(400))
    assert nesting_bound(flat) == 400 + 2
    assert nesting_depth(flat, LOADER) == 3  # the document, an entry, its tags
    assert loader_for(flat * 3) is LOADER
    assert nesting_bound("- - - - x\n  a:\n    - b\n") == 8
    assert loader_for("a: " + "[" * 1001) is yaml.SafeLoader
    assert loader_for('a: "' + "]" * 2000 + '"\nb: ' + "[" * 1001 + "]" * 1001) is yaml.SafeLoader
    assert loader_for("- " * 501 + "x") is LOADER  # 501 deep: libyaml copes
    assert loader_for("- " * 1001 + "x") is yaml.SafeLoader


def test_the_text_tells_when_no_alias_or_tag_can_be_present():
    bomb = "\n".join(['a: &a ["x","x","x","x","x","x","x","x","x"]'] + [
        f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdef", "bcdefg")])
    assert alias_bomb(yaml.compose(bomb, Loader=LOADER), text=bomb) is not None
    tagged = "s:\n  title: !!python/object:os.system x\n"
    assert [n.tag for n in unsafe_tags(yaml.compose(tagged, Loader=yaml.SafeLoader), tagged)] == [
        "tag:yaml.org,2002:python/object:os.system"]
    plain = 's:\n  url: "https://e.org/?a=1&b=*2"\n  title: Fact-check!*\n'
    assert not _may_hold(plain)
    assert alias_bomb(yaml.compose(plain, Loader=LOADER), text=plain) is None
    assert unsafe_tags(yaml.compose(plain, Loader=LOADER), plain) == []


def _may_hold(text: str) -> bool:
    from briefgen.safe_yaml import _MAY_ALIAS, _MAY_TAG

    return bool(_MAY_ALIAS.search(text) or _MAY_TAG.search(text))
