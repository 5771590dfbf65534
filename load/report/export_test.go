package report

// Test access to what the documents are made of.

func FollowupDocumentXML(r *FollowupReport) []byte     { return r.document().docx().DocumentXML() }
func ParliamentDocumentXML(r *ParliamentReport) []byte { return r.document().docx().DocumentXML() }

// StaleRecIDs lists the recommendations of the report's stale table.
func StaleRecIDs(r *FollowupReport) []string {
	var out []string
	for _, row := range r.Stale.rows {
		out = append(out, row[0])
	}
	return out
}
