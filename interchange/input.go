package interchange

import (
	"time"

	"github.com/rolo-crm/rolo/model"
)

// input is what a reader made of a file: records with the line each
// starts on, and the reason a record cannot be imported.
type input struct {
	format   string
	layout   string
	columns  []MappedColumn
	byID     bool // the records carry rolo ids (rolo's JSON and CSV)
	byIDDeal bool // deals carry rolo ids and link by id (rolo's deals.csv)

	companies []companyItem
	contacts  []contactItem
	deals     []dealItem
	tasks     []taskItem
	acts      []activityItem
	warnings  []Problem
}

type companyItem struct {
	line int
	c    model.Company
	err  error
}

// contactItem is a contact with what hangs on it in the file.
type contactItem struct {
	line          int
	c             model.Contact
	company       string            // the company's name when the file names it
	companyCustom map[string]string // the company's fields (Pipedrive's "Organization - ...")
	notes         []string          // become note activities
	skip          bool              // marked deleted in the source
	derivedName   bool              // the name is the email or phone: the file had none
	keys          matchKeys         // worked out with the record's validation (see prepare)
	err           error
}

// dealItem is a deal, with its contact as the file refers to it.
type dealItem struct {
	line       int
	d          model.Deal
	contact    int    // index of the contact read from the same row, or -1
	contactRef string // the contact as the file names it: "Maria Garcia" or "Maria Garcia (maria@acme.com)"
	company    string // the company's name when the file names it
	notes      []string
	err        error
}

type taskItem struct {
	line int
	t    model.Task
	err  error
}

type activityItem struct {
	line int
	a    model.Activity
	err  error
}

// readerEnv is what readers need to turn text into records.
type readerEnv struct {
	file     string
	now      time.Time
	pipeline model.Pipeline
	rules    model.Rules
}

func (e *readerEnv) warn(in *input, line int, msg string) {
	in.warnings = append(in.warnings, Problem{File: e.file, Line: line, Message: msg})
}
