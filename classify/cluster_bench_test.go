package classify

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkCluster clusters 5k to 30k UPR Info recommendations as if they
// were made to one country, far more than any country receives, to show how
// the time grows with n: per item it levels off once posting lists reach
// MaxPostings (about 63 µs at 5k, 120 µs at 20k and 30k on 2 cores).
func BenchmarkCluster(b *testing.B) {
	upr, _, vz := cluData(b)
	all := cluItems(b, vz, upr)
	for _, n := range []int{5000, 10000, 20000, 30000} {
		items := all[:min(n, len(all))]
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var clusters int
			for b.Loop() {
				cl, _, err := Cluster(context.Background(), items, nil, ClusterOptions{Country: "XXX", Vectorizer: vz})
				if err != nil {
					b.Fatal(err)
				}
				clusters = len(cl)
			}
			b.ReportMetric(float64(clusters), "clusters")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(items)), "µs/item")
		})
	}
}
