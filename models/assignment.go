package models

// Label schemes a model assigns. Goals and targets of the SDGs are stored in
// their own table (sdg_assignments); the others in theme_assignments.
const (
	TaskUPRInfoIssues = "upr-info-issues"
	TaskUHRIThemes    = "uhri-themes"
	TaskSDG           = "sdg"
)

// Assignment is one label a model gave a recommendation, with the score and
// the terms of the text that drove it.
type Assignment struct {
	RecID    string
	Scheme   string // upr-info-issue, uhri-theme, sdg-goal, sdg-target
	Label    string
	Score    float64 // in [0, 1]
	Rank     int     // 1 = best of the recommendation for this scheme
	ModelID  string
	Evidence []string
	// Extra is true for a label above no threshold, added by --top K or the
	// top-1 fallback rule, so consumers can tell confident labels apart.
	Fallback bool
}

// Unclassified is the label recorded when every score is below the floor.
const Unclassified = "unclassified"

// Cluster is a group of recommendations to one country asking for the same
// thing, whichever mechanism made them.
type Cluster struct {
	ClusterID     string
	CountryISO3   string
	Label         string // a representative text or heading
	TopTerms      []string
	MainTheme     string
	MainSDGTarget string
	Size          int
	Mechanisms    []string
	Bodies        []string
	FirstDate     string
	LastDate      string
}

// ClusterMember places a recommendation in a cluster.
type ClusterMember struct {
	ClusterID  string
	RecID      string
	Similarity float64 // cosine to the cluster centroid
}
