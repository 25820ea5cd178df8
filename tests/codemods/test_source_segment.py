import ast

from codemods.engine.source_segment import source_segment

SOURCE = (
    "def f(x):\n"
    "    return (Post.objects\n"
    "            .filter(title='é')\n"
    "            .order_by('-id'))\n"
    "y = {'ü': 1}  # é\r\n"
    "z = 2\n"
)


def test_every_node_reads_as_ast_get_source_segment_reads_it() -> None:
    tree = ast.parse(SOURCE)
    for node in ast.walk(tree):
        assert source_segment(SOURCE, node) == ast.get_source_segment(SOURCE, node)


def test_a_node_without_a_position_has_no_segment() -> None:
    assert source_segment(SOURCE, ast.Name(id="x")) is None
