"""A throwaway standalone Spark cluster for the tests: a master and one worker from PySpark's own
jars, started with spark-class (the pip package has no start scripts) on the loopback address, and
a driver session connected to it. Nothing listens beyond 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

LOOPBACK = "127.0.0.1"


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, cores: int = 2, memory: str = "2g"):
        if shutil.which("java") is None:
            raise RuntimeError("no Java found: make test installs Debian's openjdk-17-jre-headless")
        self.root = Path(tempfile.mkdtemp(prefix="batterydb-spark-"))
        self.port = _free_port()
        self.cores, self.memory = cores, memory
        self.url = f"spark://{LOOPBACK}:{self.port}"
        self.env = {**os.environ, "SPARK_HOME": str(spark_home()), "SPARK_LOCAL_IP": LOOPBACK,
                    "SPARK_LOG_DIR": str(self.root), "SPARK_WORKER_DIR": str(self.root / "work")}
        self._processes: list[subprocess.Popen] = []

    def _start(self, name: str, *args: str) -> None:
        log = open(self.root / f"{name}.log", "w")
        self._processes.append(subprocess.Popen(
            [str(spark_home() / "bin" / "spark-class"), *args], stdout=log, stderr=subprocess.STDOUT,
            env=self.env, start_new_session=True))

    def start(self) -> "Cluster":
        deadline = time.time() + 90
        self._start("master", "org.apache.spark.deploy.master.Master", "--host", LOOPBACK,
                    "--port", str(self.port), "--webui-port", str(_free_port()))
        # The free port was released before the master binds it; if another process took it first, Spark
        # binds the next one, and its log says which: the worker is pointed at that.
        self.url = self._wait_for(r"Starting Spark master at (spark://\S+)", deadline)
        self._start("worker", "org.apache.spark.deploy.worker.Worker", "--host", LOOPBACK,
                    "--webui-port", str(_free_port()), "--cores", str(self.cores), "--memory", self.memory,
                    "--work-dir", str(self.root / "work"), self.url)
        self._wait_for(r"Registering worker", deadline)
        return self

    def _wait_for(self, pattern: str, deadline: float) -> str:
        """The master log's first match of ``pattern`` (its group, if any), once it is there."""
        while not (found := re.search(pattern, (self.root / "master.log").read_text())):
            if time.time() > deadline or any(p.poll() is not None for p in self._processes):
                self.stop()
                raise RuntimeError("the Spark cluster did not start:\n" + (self.root / "master.log").read_text())
            time.sleep(0.3)
        return found[1] if found.groups() else found[0]

    def session(self):
        """A driver connected to the cluster, on the loopback address, with a warehouse of its own.

        Tuned for the tests' data, a few hundred rows, where a query's cost is
        its plan and its stages, not its data: no adaptive execution (which
        plans again after every stage), one shuffle partition, no constraint
        propagation and no whole-stage code generation. Each of these changes
        how Spark runs a query, not its answer, and together they took
        targets_vs_reported from about 56 s to 35 s cold. benchmarks/engines.py
        measures Spark through this session too.
        """
        os.environ["SPARK_LOCAL_IP"] = LOOPBACK
        from pyspark.sql import SparkSession

        session = (SparkSession.builder.master(self.url).appName("batterydb-tests")
                   .config("spark.driver.host", LOOPBACK).config("spark.driver.bindAddress", LOOPBACK)
                   .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                   .config("spark.driver.memory", "2g")
                   .config("spark.executor.memory", "1g").config("spark.sql.shuffle.partitions", "1")
                   .config("spark.sql.adaptive.enabled", "false")
                   .config("spark.sql.constraintPropagation.enabled", "false")
                   .config("spark.sql.codegen.wholeStage", "false")
                   .config("spark.locality.wait", "0s")
                   .config("spark.sql.warehouse.dir", str(self.root / "warehouse"))
                   .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={self.root}")
                   .getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        return session

    def stop(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.root, ignore_errors=True)
