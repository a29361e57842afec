package report

import (
	"slices"

	"github.com/xuri/excelize/v2"
)

// The workbook's list sheets: a row per group and skill, and per group, question and answer.

// writeSkillsSheet writes a row per group and skill, department first, then directorates, then
// teams; with a breakdown, each cell's skills follow its group's, the option in a last column.
func writeSkillsSheet(f *excelize.File, st *xlsxStyles, rep *Report) *xlsxSheet {
	s := newXLSXSheet(f, st, skillsSheet)
	cols := []xlsxColumn{{"Group", 18}, {"Name", 36}, {"Level", 12}, {"Skill", 30}, {"Skill group", 18},
		{"Responses", 11}, {"Coverage", 11}, {"Depth", 9}, {"Meets expected", 11}}
	if rep.Breakdown != nil {
		cols = append(cols, xlsxColumn{"Breakdown", 18})
	}
	row := 1
	for _, ls := range levelSheets {
		for _, g := range groupsAt(rep, ls.level) {
			if g.Withheld {
				row++
				xlsxSkillLabels(s, row, g, nil)
				s.withheld(6, 9, row, g.Reason)
				continue
			}
			row = xlsxSkillRows(s, rep, row, g, g.Skills, "")
			for _, c := range g.Cells {
				label := optionLabel(rep, c.Option)
				if label == "" {
					label = c.Option
				}
				if c.Withheld {
					row++
					xlsxSkillLabels(s, row, g, nil)
					s.text(10, row, label, 0)
					s.withheld(6, 9, row, c.Reason)
					continue
				}
				row = xlsxSkillRows(s, rep, row, g, c.Skills, label)
			}
		}
	}
	s.header(cols, 2, row)
	return s
}

// xlsxSkillRows writes a row per skill of a group or, with cell set, of one of its breakdown cells,
// after row; it returns the last row written.
func xlsxSkillRows(s *xlsxSheet, rep *Report, row int, g *Group, skills map[string]*SkillFigures, cell string) int {
	for _, sk := range rep.Skills {
		sf := skills[sk.Key]
		if sf == nil {
			continue
		}
		row++
		xlsxSkillLabels(s, row, g, &sk)
		s.text(10, row, cell, 0)
		if sf.Withheld {
			s.withheld(6, 9, row, sf.Reason)
			continue
		}
		s.integer(6, row, &sf.N)
		s.ratio(7, row, &sf.Coverage)
		s.integer(8, row, &sf.Depth)
		s.ratio(9, row, sf.MeetsExpected)
	}
	return row
}

func xlsxSkillLabels(s *xlsxSheet, row int, g *Group, sk *SkillInfo) {
	s.text(1, row, g.Key, 0)
	s.text(2, row, g.Name, 0)
	s.text(3, row, g.Level, 0)
	if sk != nil {
		s.text(4, row, sk.Title, 0)
		s.text(5, row, sk.Group, 0)
	}
}

// writeDistributionsSheet writes, per group and question reported as a distribution, a row of its
// answers and a row per option or bin with its count and share.
func writeDistributionsSheet(f *excelize.File, st *xlsxStyles, rep *Report) *xlsxSheet {
	s := newXLSXSheet(f, st, distributionsSheet)
	cols := []xlsxColumn{{"Group", 18}, {"Name", 36}, {"Level", 12}, {"Question", 40}, {"Answer", 30},
		{"Answered", 11}, {"Count", 11}, {"Share", 11}}
	row := 1
	labels := func(g *Group, question, answer string) {
		row++
		s.text(1, row, g.Key, 0)
		s.text(2, row, g.Name, 0)
		s.text(3, row, g.Level, 0)
		s.text(4, row, question, 0)
		s.text(5, row, answer, 0)
	}
	for _, ls := range levelSheets {
		for _, g := range groupsAt(rep, ls.level) {
			if g.Withheld {
				labels(g, "", "")
				s.withheld(6, 8, row, g.Reason)
				continue
			}
			for _, info := range rep.Distributions {
				d := g.Distributions[info.Question]
				if d == nil {
					continue
				}
				labels(g, info.Text, "")
				if d.Withheld {
					s.withheld(6, 8, row, d.Reason)
					continue
				}
				s.integer(6, row, &d.N)
				for i, sh := range append(slices.Clone(d.Options), d.Bins...) {
					answer := binTitle(info, i)
					if sh.Key != "" {
						answer = optionLabelOf(info.Options, sh.Key)
					}
					labels(g, info.Text, answer)
					if sh.Withheld {
						s.withheld(7, 8, row, sh.Reason)
						continue
					}
					s.integer(7, row, &sh.N)
					s.ratio(8, row, &sh.Share)
				}
			}
		}
	}
	s.header(cols, 2, row)
	return s
}
