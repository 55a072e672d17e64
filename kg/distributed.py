"""`kg build --dask tcp://HOST:PORT`: the per-file extraction on a dask.distributed cluster.

    with connect("tcp://10.0.0.5:8786", Pipeline) as cluster:   # DaskError: no dask, no scheduler
        for extractions in cluster.extract(version, [articles_of_file, ...]):   # in input order
            ...

Only extraction (kg.build.Pipeline.extract: reading each article's mentions, parts, targets
and statistics) runs on the workers: it reads one article at a time and nothing of the
others. Resolving the names across articles, relating and writing the graph run in the
client (`kg build`), as in a local build, so the graph is byte-identical to one.

Each worker loads the gazetteer and jieba once, when the build registers PipelinePlugin with
it (a dask WorkerPlugin: the worker holds its Pipeline as long as the plugin is registered).
A task is one input file: its articles go to the worker (without the file's text and offset
map, which only writing needs), its Extractions come back. A worker answers only for the
extractor version the client asked for (kg.extract_cache.extractor_version: the code, the
lexicons, the gazetteer and jieba), so a worker with another version of the package stops
the build with a clear message instead of making another graph.

dask is an optional dependency (the `dask` extra): kg.build imports this module only for
--dask. docs/scale.md tells how to run a cluster.
"""
from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import Any, Callable

from .extract_cache import extractor_version
from .extras import install_hint, need, optional
from .model import Article

# kg.build.Extraction and kg.build.Pipeline: not imported, since kg.build imports this module
# (connect is handed the Pipeline class, and the plugin carries it to the workers)
Extraction = Any
Pipeline = Any

# dask is an optional dependency (the extra `dask`): without it, connect() says how to install it
_distributed = optional("distributed", "dask")
_WorkerPlugin = _distributed.WorkerPlugin if _distributed is not None else object

PLUGIN = "dangjian-kg-pipeline"     # the name the plugin is registered under on the workers
CONNECT_TIMEOUT = 10                # seconds to reach the scheduler
WORKERS_TIMEOUT = 30                # seconds to wait for a first worker


class DaskError(ValueError):
    """The build cannot use the cluster: dask is not installed, the scheduler cannot be
    reached, it has no workers, or a worker runs another version of the extractor."""


def _dask():
    """The distributed package, or DaskError telling how to install it."""
    distributed = optional("distributed", "dask")
    if distributed is None:
        raise DaskError(f"--dask needs dask.distributed, which is not installed here: {install_hint('dask')}")
    return distributed


class PipelinePlugin(_WorkerPlugin):
    """Loads a Pipeline (gazetteer and jieba) once in each worker it is registered with,
    and the version of its extractor (kg.extract_cache.extractor_version). MAKE: the
    Pipeline class (kg.build.Pipeline), pickled by name: a worker imports it from its own
    installed package."""
    name = PLUGIN

    def __init__(self, make: Callable[[], Pipeline]):
        self.make = make
        self.pipeline = None

    def setup(self, worker) -> None:
        self.pipeline = self.make()
        self.version = extractor_version(self.pipeline)

    def teardown(self, worker) -> None:
        self.pipeline = None


def extract_file(articles: list[Article], version: str) -> list[Extraction]:
    """On a worker: the extractions of one file's articles, by the worker's Pipeline.
    DaskError when the worker's extractor is another version than the client's."""
    get_worker = need("distributed", "dask", "a dask worker").get_worker

    plugin = get_worker().plugins.get(PLUGIN)
    if plugin is None or getattr(plugin, "pipeline", None) is None:
        raise DaskError(f"worker {get_worker().address} has no dangjian-kg pipeline loaded")
    if plugin.version != version:
        raise DaskError(f"worker {get_worker().address} runs another version of the extractor "
                        f"({plugin.version[:12]}, this kg build {version[:12]}): install the same "
                        "dangjian-kg (and jieba) on every worker and restart them")
    return [plugin.pipeline.extract(article) for article in articles]


class Cluster:
    """A connection to a scheduler whose workers have the pipeline loaded (connect())."""

    def __init__(self, client, address: str):
        self.client, self.address = client, address

    def extract(self, version: str, files: list[list[Article]]) -> Iterator[list[Extraction]]:
        """The extractions of each file's articles, one task a file, handed back in the
        order of FILES (each as soon as it and those before it are done)."""
        if not files:
            return
        build = uuid.uuid4().hex[:12]              # task keys of their own for every build
        futures = self.client.map(
            extract_file, [[dataclasses.replace(a, source="", origin=[]) for a in articles]
                           for articles in files],
            version=version, key=[f"kg-extract-{build}-{i}" for i in range(len(files))], retries=1)
        try:
            for i, future in enumerate(futures):
                try:
                    found = future.result()    # waits, also while the cluster has no worker
                except (OSError, TimeoutError) as err:
                    raise DaskError(f"lost the dask scheduler at {self.address}: {err}") from None
                futures[i] = None                  # let the cluster forget the result
                future.release()
                yield found
        finally:
            self.client.cancel([f for f in futures if f is not None])

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connect(address: str, make: Callable[[], Pipeline], timeout: float = CONNECT_TIMEOUT) -> Cluster:
    """A Cluster for the scheduler at ADDRESS (tcp://HOST:PORT) with PipelinePlugin(MAKE)
    registered on its workers (each makes its Pipeline now: MAKE is kg.build.Pipeline).
    DaskError when dask is not installed, the scheduler does not answer within TIMEOUT
    seconds or has no worker."""
    distributed = _dask()
    if "://" not in address:
        raise DaskError(f"--dask {address}: give the scheduler's address as tcp://HOST:PORT")
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise DaskError(f"cannot reach the dask scheduler at {address} ({err}); start one with "
                        "`dask scheduler` and workers with `dask worker ADDRESS`") from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (OSError, TimeoutError):
            raise DaskError(f"the dask scheduler at {address} has no worker (waited "
                            f"{WORKERS_TIMEOUT} s); start some with `dask worker {address}`") from None
        client.register_plugin(PipelinePlugin(make), name=PLUGIN)
    except BaseException:
        client.close()
        raise
    return Cluster(client, address)
