"""The package's modules import each other without a cycle, and the CSV modules need only the standard
library (`merge` runs with any python3)."""

import ast
import os
import sys
import unittest

import support

PACKAGE = os.path.join(support.PEERS_DIR, "attnpeers")


def module_imports():
    """module name → the set of names it imports (every import statement, at any depth)."""
    graph = {}
    for directory, _, names in os.walk(PACKAGE):
        for name in names:
            if not name.endswith(".py"):
                continue
            path = os.path.join(directory, name)
            module = os.path.relpath(path, support.PEERS_DIR)[:-3].replace(os.sep, ".")
            module = module[:-len(".__init__")] if module.endswith(".__init__") else module
            with open(path, encoding="utf-8") as handle:
                tree = ast.parse(handle.read(), path)
            imported = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    imported.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module:
                    imported.add(node.module)
                    imported.update("%s.%s" % (node.module, alias.name) for alias in node.names)
            graph[module] = imported
    return graph


def find_cycle(graph):
    """A list of modules forming an import cycle, or None."""
    internal = {m: {i for i in imports if i in graph and i != m} for m, imports in graph.items()}
    state = {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(internal[module]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target] if target in path else [module, target]
            if target not in state:
                cycle = visit(target, path + [target])
                if cycle:
                    return cycle
        state[module] = "done"
        return None

    for module in sorted(internal):
        if module not in state:
            cycle = visit(module, [module])
            if cycle:
                return cycle
    return None


class LayoutTests(unittest.TestCase):
    def test_no_import_cycle(self):
        graph = module_imports()
        self.assertIn("attnpeers.cli", graph)
        self.assertIsNone(find_cycle(graph))

    def test_cycle_finder_finds_cycles(self):
        self.assertEqual(find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}), ["a", "b", "c", "a"])
        self.assertIsNone(find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": {"os"}}))

    def test_csv_modules_use_the_standard_library_only(self):
        graph = module_imports()
        for module in ("attnpeers.schema", "attnpeers.merge"):
            outside = {name.split(".")[0] for name in graph[module]} - set(sys.stdlib_module_names) - {"attnpeers"}
            self.assertEqual(outside, set(), module)
            internal = {name for name in graph[module] if name in graph}
            self.assertTrue(internal <= {"attnpeers.schema"}, (module, internal))


if __name__ == "__main__":
    unittest.main()
