#!/usr/bin/env python3
"""scikit-learn's training and classification time, for BenchmarkVsSklearn.

Reads a TSV of `text <TAB> labels` (labels joined by "|", no header) written
by the benchmark, fits TfidfVectorizer(ngram_range=(1, 2), min_df=2,
sublinear_tf=True) + OneVsRestClassifier(LinearSVC(C=1)) on all rows, then
transforms and classifies all rows (decision_function > 0), and prints one
JSON object: {"fit_seconds", "predict_seconds", "fit_cpu_seconds",
"predict_cpu_seconds", "n", "labels", "assigned"}; the CPU times are the
process's (all threads), which a machine shared with other work inflates
less than the wall times.
Run with Debian's python (python3-sklearn):

    /usr/bin/python3 classify/testdata/sklearn_speed.py rows.tsv
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC


def read(path):
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                sys.exit(f"{path} line {n}: {len(parts)} fields, want 2")
            texts.append(parts[0])
            labels.append([l for l in parts[1].split("|") if l])
    return texts, labels


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sklearn_speed.py rows.tsv")
    texts, labels = read(sys.argv[1])
    # Label binarising is bookkeeping, not learning: left out of both timings.
    Y = MultiLabelBinarizer().fit_transform(labels)

    t0, c0 = time.perf_counter(), time.process_time()
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    X = vec.fit_transform(texts)
    clf = OneVsRestClassifier(LinearSVC(C=1.0)).fit(X, Y)
    fit, fit_cpu = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    assigned = clf.decision_function(vec.transform(texts)) > 0
    predict, predict_cpu = time.perf_counter() - t0, time.process_time() - c0

    json.dump({"fit_seconds": fit, "predict_seconds": predict,
               "fit_cpu_seconds": fit_cpu, "predict_cpu_seconds": predict_cpu, "n": len(texts),
               "labels": int(Y.shape[1]), "assigned": int(assigned.sum())}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
