#!/usr/bin/env python3
"""scikit-learn baseline for UPR Info issues on nmirf's split.

Trains TfidfVectorizer + one-vs-rest LinearSVC on sessions 1-12 of the UPR
Info exports and scores sessions 13-16, the split TestUPRQuality uses, so the
two numbers compare. Usage (Debian's python3-sklearn):

    /usr/bin/python3 classify/testdata/sklearn_baseline.py ../shared/data/upr-info
"""
import csv
import io
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC


def read(folder):
    rows = []
    for f in sorted(Path(folder).glob("*.csv")):
        # As exported: MacRoman, old-Mac CR line ends.
        text = f.read_bytes().decode("mac_roman").replace("\r\n", "\n").replace("\r", "\n")
        for r in csv.DictReader(io.StringIO(text)):
            issues = [i.strip() for i in r["Issue"].split(",") if i.strip()]
            rows.append((int(r["Session"]), r["Text"], issues))
    return rows


def main():
    rows = read(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/upr-info")
    train = [r for r in rows if r[0] <= 12]
    test = [r for r in rows if r[0] > 12]
    mlb = MultiLabelBinarizer().fit([r[2] for r in rows])
    ytr, yte = mlb.transform([r[2] for r in train]), mlb.transform([r[2] for r in test])
    print(f"{len(rows)} rows, {len(train)} train (sessions 1-12), {len(test)} test (13-16), {len(mlb.classes_)} labels")
    for name, vec in [
        ("tfidf defaults (unigrams)", TfidfVectorizer()),
        ("tfidf 1-2gram sublinear min_df=2", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
    ]:
        t0 = time.time()
        Xtr = vec.fit_transform([r[1] for r in train])
        Xte = vec.transform([r[1] for r in test])
        clf = OneVsRestClassifier(LinearSVC(C=1.0)).fit(Xtr, ytr)
        fit = time.time() - t0
        pred = clf.predict(Xte)
        # Same fallback as nmirf: when no label passes, take the best one.
        dec = clf.decision_function(Xte)
        top1 = pred.copy()
        none = top1.sum(axis=1) == 0
        top1[none, dec[none].argmax(axis=1)] = 1
        for rule, p in [("decision > 0", pred), ("decision > 0, else top-1", top1)]:
            print(f"{name:36s} {rule:26s} micro F1 {f1_score(yte, p, average='micro'):.4f} "
                  f"macro F1 {f1_score(yte, p, average='macro', zero_division=0):.4f}  fit {fit:.1f}s")


if __name__ == "__main__":
    main()
