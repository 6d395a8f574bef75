"""Count the words of every sample with a shell script, then summarize in Python.

redun run pipeline.py main                       # counts data/*.txt into results/
redun run pipeline.py main                       # everything is cached
rm results/beta.counts.txt && redun run pipeline.py main   # only beta's script re-runs
"""

import os
import shlex

from redun import Dir, File, script, task

redun_namespace = "file_pipeline"


@task()
def count_words(sample: File, out_dir: str) -> File:
    """Word frequencies of one sample, most frequent first, computed by a shell pipeline."""
    name = os.path.splitext(sample.basename())[0]
    return script(
        f"""
        tr -cs '[:alpha:]' '\\n' < sample.txt \\
          | tr '[:upper:]' '[:lower:]' \\
          | grep . \\
          | sort | uniq -c | sort -k1,1nr -k2,2 > counts.txt
        mkdir -p {shlex.quote(out_dir)}
        """,
        # Copied into the script's temporary directory before it runs...
        inputs=[sample.stage("sample.txt")],
        # ...and copied back out afterwards; the result is the remote File.
        outputs=File(f"{out_dir}/{name}.counts.txt").stage("counts.txt"),
        tempdir=True,
    )


@task()
def count_all(samples: Dir, out_dir: str) -> list[File]:
    """One script per sample; they run in parallel."""
    return [count_words(sample, out_dir) for sample in samples]


@task()
def summarize(counts: list[File], out_path: str) -> File:
    """A tab-separated table: sample, distinct words, most frequent word."""
    lines = ["sample\tdistinct_words\ttop_word"]
    for counts_file in counts:
        rows = [line.split() for line in counts_file.read().splitlines() if line.strip()]
        sample = counts_file.basename().removesuffix(".counts.txt")
        lines.append(f"{sample}\t{len(rows)}\t{rows[0][1]}")
    summary = File(out_path)
    summary.write("\n".join(lines) + "\n")
    return summary


@task()
def main(data_dir: str = "data", out_dir: str = "results") -> File:
    # Absolute paths: the scripts run in their own temporary directories.
    out_dir = os.path.abspath(out_dir)
    counts = count_all(Dir(os.path.abspath(data_dir)), out_dir)
    return summarize(counts, os.path.join(out_dir, "summary.tsv"))
