#!/usr/bin/env python3
"""Annotate an archive on Apache Spark: NDJSON request lines in, NDJSON documents out.

    spark-submit --files target/release/news-annotator \\
        deploy/spark/annotate_archive.py IN OUT [--partitions N] [--compress gzip]

IN is any path Hadoop reads (a file, a directory, a glob; local, hdfs://, s3a://, gs://,
gzip or bzip2 files included), one request object a line, exactly what
`news-annotator annotate --jsonl` and `POST /v1/annotate/batch` take:
`{"id"?, "text"|"html", "options"?}`. OUT is a directory that must not exist yet; it gets
`part-00000`, `part-00001`, ... (one per partition, in input order) and `_SUCCESS`.

How it works, and why:
- The binary is the annotator: each partition is piped through one
  `news-annotator annotate --jsonl` process on the executor, so a document comes out
  byte for byte as the CLI and the HTTP batch route write it (they share one function),
  and nothing is re-implemented in Python. The binary reaches the executors with
  `--files` (Spark copies it into each executor's work directory; `SparkFiles` finds it).
- Bytes in, bytes out: lines are handed to the binary as UTF-8 bytes and its answers
  written as they come, so Python never decodes a document. One difference from the
  CLI: Spark's text reader decodes lines in the JVM, so bytes that are not UTF-8 come
  through as U+FFFD and the line is annotated instead of refused with `invalid-utf8`.
- Order and ids: the CLI answers every non-blank line with exactly one line, in order,
  echoing `id`; partitions keep the order of the input splits and are written as
  numbered part files, so reading `OUT/part-*` in name order gives the answers in input
  order. A line that cannot be annotated (malformed JSON, an invalid request, a refused
  text) gets its `{"id", "error": {problem}}` line and the rest go on. Blank lines are
  skipped, as the CLI skips them.
- Failures: if the process dies, exits non-zero or answers a different number of lines
  than it was sent, the task raises, and Spark retries it (`spark.task.maxFailures`,
  4 by default on a cluster). Output goes through Hadoop's FileOutputCommitter
  (algorithm version 1, set below): a task writes into a temporary attempt directory,
  only a successful attempt is committed, and the part files appear in OUT only when the
  whole job commits; a failed or retried attempt leaves nothing half-written behind.
- Threads: each task's process is given `spark.task.cpus` threads (RAYON_NUM_THREADS),
  so an executor with N cores runs N tasks and N processes without oversubscribing.
- Needs classic Spark (RDDs), not Spark Connect. Python 3.8+, no other package.
"""
import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading

BINARY_NAME = "news-annotator"


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Annotate NDJSON request lines with news-annotator on Spark.")
    ap.add_argument("input", help="request lines: any Hadoop path, directory or glob")
    ap.add_argument("output", help="directory for the documents (must not exist)")
    ap.add_argument("--binary", default=BINARY_NAME,
                    help="file name of the binary shipped with --files, or an absolute "
                         "path present on every executor (default: %(default)s)")
    ap.add_argument("--partitions", type=int, default=None,
                    help="at least this many partitions (input splits; no shuffle, "
                         "so order is kept). Default: Spark's split of the input")
    ap.add_argument("--compress", choices=["none", "gzip", "bzip2"], default="none",
                    help="compress the part files (default: %(default)s)")
    ap.add_argument("--fail-first-attempt", type=int, default=None, metavar="PARTITION",
                    help=argparse.SUPPRESS)  # tests: the first attempt of PARTITION dies
    return ap.parse_args(argv)


def executable(name):
    """The binary on this executor, executable: shipped with --files, or a path."""
    if os.path.isabs(name):
        path = name
    else:
        from pyspark import SparkFiles
        path = SparkFiles.get(name)
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"{path}: the news-annotator binary is not on this executor; "
            f"ship it with spark-submit --files /path/to/{BINARY_NAME}")
    if not os.access(path, os.X_OK):
        try:
            os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        except OSError:
            # A read-only work directory: run a private copy instead.
            copy = os.path.join(tempfile.mkdtemp(prefix="news-annotator-"), BINARY_NAME)
            shutil.copy(path, copy)
            os.chmod(copy, 0o755)
            path = copy
    return path


def annotate_partition(binary_name, threads, fail_partition):
    """The function Spark runs on each partition: request lines in, answer lines out."""

    def run(index, lines):
        from pyspark import TaskContext
        binary = executable(binary_name)
        env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
        env.setdefault("RUST_LOG", "warn")
        proc = subprocess.Popen(
            [binary, "annotate", "--jsonl"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        sent = [0]
        failure = []

        # Fed from a thread: the CLI answers while it reads, and a full pipe either way
        # would otherwise stall both sides.
        def feed():
            try:
                for line in lines:
                    if not line.strip():
                        continue
                    proc.stdin.write(line)
                    proc.stdin.write(b"\n")
                    sent[0] += 1
            except BaseException as e:  # noqa: BLE001 (reported by the task below)
                failure.append(e)
            finally:
                try:
                    proc.stdin.close()
                except OSError:
                    pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        ctx = TaskContext.get()
        doomed = fail_partition == index and ctx is not None and ctx.attemptNumber() == 0
        answered = 0
        read_all = False
        try:
            # Split on b"\n" only: str.splitlines would also split on U+2028 and friends,
            # which JSON strings may hold unescaped.
            for raw in proc.stdout:
                if doomed and answered == 3:
                    raise RuntimeError(
                        f"partition {index}: killed on purpose after 3 lines "
                        "(--fail-first-attempt), to show that Spark retries it")
                answered += 1
                yield raw.rstrip(b"\n")
            read_all = True
        finally:
            # Stopped early (an error, or Spark no longer reading): end the process, which
            # also unblocks the feeder if it waits on a full pipe.
            if not read_all and proc.poll() is None:
                proc.kill()
            feeder.join()
            code = proc.wait()
        if failure:
            raise RuntimeError(f"partition {index}: feeding the annotator failed") from failure[0]
        if code != 0:
            raise RuntimeError(
                f"partition {index}: news-annotator exited with status {code} after "
                f"{answered} of {sent[0]} answers (its stderr is in this executor's log)")
        if answered != sent[0]:
            raise RuntimeError(
                f"partition {index}: {sent[0]} request lines but {answered} answers")

    return run


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName("news-annotator archive")
    # Commit protocol v1: part files appear in OUT only when the job commits (v2 moves
    # each task's files into OUT as the task commits, which a failed job leaves behind).
    conf.setIfMissing("spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version", "1")
    sc = SparkContext.getOrCreate(conf)
    threads = int(sc.getConf().get("spark.task.cpus", "1"))

    # Bytes, not str, both ways: Python never decodes or encodes a document. (Hadoop's
    # text reader has already decoded each line in the JVM, so a line that is not UTF-8
    # arrives with U+FFFD in place of its bad bytes, where the CLI would refuse it.)
    lines = sc.textFile(args.input, minPartitions=args.partitions, use_unicode=False)
    answers = lines.mapPartitionsWithIndex(
        annotate_partition(args.binary, threads, args.fail_first_attempt))
    codec = {
        "none": None,
        "gzip": "org.apache.hadoop.io.compress.GzipCodec",
        "bzip2": "org.apache.hadoop.io.compress.BZip2Codec",
    }[args.compress]
    answers.saveAsTextFile(args.output, compressionCodecClass=codec)
    sc.stop()


if __name__ == "__main__":
    main()
