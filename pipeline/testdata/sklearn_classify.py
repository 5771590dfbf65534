#!/usr/bin/env python3
"""scikit-learn classifying the same texts as `nmirf classify --in`, for
BenchmarkStandaloneVsSklearn.

    /usr/bin/python3 sklearn_classify.py CACHE TEXTS NAME=TRAIN.tsv...

Each TRAIN.tsv holds `text <TAB> labels` (labels joined by "|", no header):
the training set of one of nmirf's default models. For each, the script fits
TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True) +
OneVsRestClassifier(LinearSVC(C=1)), or loads the pipeline it fitted before
from the folder CACHE (fitting is not what is timed). Then it times each
pipeline transforming and classifying (decision_function > 0) every line of
TEXTS, one text a line, as the pipelines would be run one after the other,
and prints one JSON object:

    {"n": texts, "models": {NAME: {"seconds", "cpu_seconds", "labels", "assigned"}}}

The CPU times are the process's (all threads).
"""
import hashlib
import json
import os
import pickle
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC


def read_rows(path):
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                sys.exit(f"{path} line {n}: {len(parts)} fields, want 2")
            texts.append(parts[0])
            labels.append([l for l in parts[1].split("|") if l])
    return texts, labels


def fitted(cache, name, path):
    # The pickle is named after the training rows it was fitted on, so that a
    # cache kept between runs is never used for other training data.
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    os.makedirs(cache, exist_ok=True)
    pick = os.path.join(cache, "%s-%s.pickle" % (name, digest))
    if os.path.exists(pick):
        with open(pick, "rb") as f:
            return pickle.load(f)
    texts, labels = read_rows(path)
    mlb = MultiLabelBinarizer()
    Y = mlb.fit_transform(labels)
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    clf = OneVsRestClassifier(LinearSVC(C=1.0)).fit(vec.fit_transform(texts), Y)
    with open(pick, "wb") as f:
        pickle.dump((vec, clf, len(mlb.classes_)), f)
    return vec, clf, len(mlb.classes_)


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: sklearn_classify.py CACHE TEXTS NAME=TRAIN.tsv...")
    cache, texts_path = sys.argv[1], sys.argv[2]
    pipelines = []
    for arg in sys.argv[3:]:
        name, _, path = arg.partition("=")
        pipelines.append((name, fitted(cache, name, path)))
    with open(texts_path, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f]

    out = {"n": len(texts), "models": {}}
    for name, (vec, clf, labels) in pipelines:
        t0, c0 = time.perf_counter(), time.process_time()
        assigned = clf.decision_function(vec.transform(texts)) > 0
        out["models"][name] = {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0,
                               "labels": labels, "assigned": int(assigned.sum())}
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
