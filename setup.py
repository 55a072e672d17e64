"""Only what pyproject.toml cannot say: the ontology (ontology/*.ttl, at the project's top
level as the scorer and the design expect) is copied into the package as kg/ontology/, so
that an installed, non-editable kg finds it (kg.validate.default_ontology_dir looks there
after the source tree): `kg validate` and `kg build --curation` read it."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithOntology(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "kg" / "ontology"
        target.mkdir(parents=True, exist_ok=True)
        for ttl in sorted(Path(__file__).parent.joinpath("ontology").glob("*.ttl")):
            shutil.copyfile(ttl, target / ttl.name)


setup(cmdclass={"build_py": BuildWithOntology})
