package models

import (
	"strings"
	"testing"
	"time"
)

// Run ids are compared to tell which rows changed after a clustering: the
// stages of one nightly run, started within the same second (or the same
// microsecond), must get ids in the order they started.
func TestNewRunIDSortsInStartOrder(t *testing.T) {
	now := time.Date(2026, 12, 3, 20, 5, 46, 123456789, time.UTC)
	prev := NewRunID(now)
	if !strings.HasPrefix(prev, "20261203T200546.12345") {
		t.Fatalf("run id %q does not start with the UTC time to the microsecond", prev)
	}
	for i := 0; i < 1000; i++ {
		// The same instant, then one a little before (the clock stepped
		// back), then a little after: each id sorts after the one before.
		at := now
		switch i % 3 {
		case 1:
			at = now.Add(-time.Millisecond)
		case 2:
			at = now.Add(time.Duration(i) * time.Nanosecond)
		}
		id := NewRunID(at)
		if id <= prev {
			t.Fatalf("call %d: run id %q does not sort after %q", i, id, prev)
		}
		prev = id
	}
	// A time set explicitly further back (a run recorded afterwards) keeps
	// its own time.
	if id := NewRunID(now.Add(-time.Hour)); !strings.HasPrefix(id, "20261203T190546.123456Z-") {
		t.Errorf("run id for an hour before: %q", id)
	}
	if a, b := NewRunID(now.Add(time.Hour)), NewRunID(now.Add(time.Hour)); a == b || a > b {
		t.Errorf("two ids for the same time: %q then %q", a, b)
	}
}
