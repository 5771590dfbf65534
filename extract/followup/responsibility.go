package followup

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/BurntSushi/toml"

	"github.com/nmirf/nmirf/models"
)

type respFile struct {
	Order    []string `toml:"order"`
	Entities []struct {
		Code            string `toml:"code"`
		Name            string `toml:"name"`
		Kind            string `toml:"kind"`
		Parent          string `toml:"parent"`
		FocalPointName  string `toml:"focal_point_name"`
		FocalPointEmail string `toml:"focal_point_email"`
		DeputyName      string `toml:"deputy_name"`
		DeputyEmail     string `toml:"deputy_email"`
	} `toml:"entity"`
	UHRITheme    map[string]string `toml:"uhri-theme"`
	UPRInfoIssue map[string]string `toml:"upr-info-issue"`
	SDGGoal      map[string]string `toml:"sdg-goal"`
}

// ParseResponsibility reads a responsibility mapping: [[entity]] tables
// (code, name, kind, parent, focal_point_name, focal_point_email,
// deputy_name, deputy_email), the tables [uhri-theme], [upr-info-issue] and
// [sdg-goal] mapping labels to entity codes, and `order`, the schemes from
// most to least trusted.
func ParseResponsibility(name string, data []byte) (*models.Responsibility, error) {
	var f respFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: unknown setting %q", name, und[0].String())
	}
	r := &models.Responsibility{Source: name}
	for _, e := range f.Entities {
		r.Entities = append(r.Entities, models.Entity{Code: e.Code, Name: e.Name, Kind: e.Kind, Parent: e.Parent,
			FocalPointName: e.FocalPointName, FocalPointEmail: e.FocalPointEmail, DeputyName: e.DeputyName, DeputyEmail: e.DeputyEmail})
	}
	order := f.Order
	if len(order) == 0 {
		order = []string{models.RespUHRITheme, models.RespUPRInfoIssue, models.RespSDGGoal}
	}
	tables := map[string]map[string]string{models.RespUHRITheme: f.UHRITheme, models.RespUPRInfoIssue: f.UPRInfoIssue, models.RespSDGGoal: f.SDGGoal}
	seen := map[string]bool{}
	for prio, scheme := range order {
		t, ok := tables[scheme]
		if !ok {
			return nil, fmt.Errorf("%s: order: unknown scheme %q (uhri-theme, upr-info-issue, sdg-goal)", name, scheme)
		}
		if seen[scheme] {
			return nil, fmt.Errorf("%s: order: %s listed twice", name, scheme)
		}
		seen[scheme] = true
		labels := make([]string, 0, len(t))
		for l := range t {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		for _, l := range labels {
			r.Rules = append(r.Rules, models.ResponsibilityRule{Scheme: scheme, Label: l, Entity: t[l], Priority: prio + 1})
		}
	}
	for scheme, t := range tables {
		if !seen[scheme] && len(t) > 0 {
			return nil, fmt.Errorf("%s: [%s] has rules but is not in order", name, scheme)
		}
	}
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return r, nil
}
