package load

import (
	"context"
	"fmt"
)

// WarehouseID is the id given to the warehouse when it was created; the
// workbooks sent out for review carry it so that a returned file is checked
// against the warehouse it came from.
func (w *Warehouse) WarehouseID(ctx context.Context) (string, error) {
	var id string
	if err := w.db.QueryRowContext(ctx, `SELECT value FROM warehouse_info WHERE key = 'warehouse_id'`).Scan(&id); err != nil {
		return "", fmt.Errorf("read warehouse id: %w", err)
	}
	return id, nil
}
