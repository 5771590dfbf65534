package load

import (
	"context"
	"testing"
)

func TestFollowupSchemaAndViews(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	id, err := w.WarehouseID(ctx)
	if err != nil || len(id) != 36 {
		t.Fatalf("warehouse id %q, %v", id, err)
	}
	for _, v := range []string{"v_reviewed_labels", "v_theme_labels", "v_sdg_labels", "v_training_labels", "v_followup_status",
		"v_action_status", "v_action_recommendations", "v_responsibility"} {
		if n := count(t, w, "SELECT count(*) FROM "+v); n != 0 {
			t.Errorf("%s has %d rows in an empty warehouse", v, n)
		}
	}
}
