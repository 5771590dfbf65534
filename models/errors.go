package models

import (
	"errors"
	"fmt"
	"strings"
)

// ExitCode is what the nmirf process returns. The values are part of the
// command-line contract and documented in the README.
type ExitCode int

const (
	ExitOK         ExitCode = 0   // everything done
	ExitFailure    ExitCode = 1   // internal or I/O failure
	ExitUsage      ExitCode = 2   // bad flags, arguments or configuration
	ExitIncomplete ExitCode = 3   // batch done, but some records were rejected
	ExitLocked     ExitCode = 4   // another run holds the warehouse lock
	ExitBadInput   ExitCode = 65  // an input file was rejected as a whole; nothing written
	ExitCancelled  ExitCode = 130 // interrupted (SIGINT/SIGTERM); nothing half-written
)

// Error is an error meant for the user: a plain message and an exit code,
// never a stack trace.
type Error struct {
	Code ExitCode
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	switch {
	case e.Msg == "":
		return e.Err.Error()
	case e.Err == nil:
		return e.Msg
	default:
		return e.Msg + ": " + e.Err.Error()
	}
}

func (e *Error) Unwrap() error { return e.Err }

// UsageError reports bad flags, arguments or configuration.
func UsageError(format string, a ...any) error {
	return &Error{Code: ExitUsage, Msg: fmt.Sprintf(format, a...)}
}

// InputError reports an input that is rejected as a whole.
func InputError(file string, err error) error {
	return &Error{Code: ExitBadInput, Msg: file, Err: err}
}

// CodeOf returns the exit code an error should end the process with.
func CodeOf(err error) ExitCode {
	if err == nil {
		return ExitOK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var inc *IncompleteError
	if errors.As(err, &inc) {
		return ExitIncomplete
	}
	return ExitFailure
}

// RowError locates one rejected record of an input.
type RowError struct {
	File  string
	Row   int    // 1-based line, row or paragraph index; 0 when not applicable
	Field string // column or field name, if one is at fault
	Msg   string
}

func (e RowError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Row > 0 {
		fmt.Fprintf(&b, " row %d", e.Row)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, " field %q", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// IncompleteError says a batch finished but rejected some records.
type IncompleteError struct {
	Rejected []RowError
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("batch incomplete: %d record(s) rejected", len(e.Rejected))
}
