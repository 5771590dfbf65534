package pipeline

// Progress receives a stage's progress. The command line shows a bar when
// stderr is a terminal and nothing otherwise; the default does nothing.
type Progress interface {
	Start(stage string, total int)
	Step(done int, item string)
	Done()
}

// NoProgress ignores progress.
type NoProgress struct{}

func (NoProgress) Start(string, int) {}
func (NoProgress) Step(int, string)  {}
func (NoProgress) Done()             {}
