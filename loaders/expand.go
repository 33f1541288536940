package loaders

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ExpandSources turns the paths a user gives into the sources to read: an
// article folder, a file or a URL stands for itself; another folder stands
// for the sources in it, sorted by name (its article folders and its
// .json, .json.gz, .yaml and .yml files), and, with recursive, those of its
// subfolders. Hidden files and folders are skipped. A folder with no source
// is an error that names it.
func ExpandSources(paths []string, recursive bool) ([]string, error) {
	var out []string
	for _, p := range paths {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			out = append(out, p)
			continue
		}
		if _, ok := ArticlePath(p); ok {
			out = append(out, p)
			continue
		}
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			out = append(out, p) // read as a file; reading it says what is wrong
			continue
		}
		found, err := folderSources(p, recursive)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			hint := ""
			if !recursive {
				hint = " (--recursive reads its subfolders)"
			}
			return nil, &InputError{Problems: []Problem{{File: p, Msg: "no source in this folder: no article folder, .json, .json.gz or .yaml file" + hint}}}
		}
		out = append(out, found...)
	}
	return out, nil
}

func folderSources(dir string, recursive bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read folder %s: %w", dir, err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		if e.IsDir() {
			if _, ok := ArticlePath(p); ok {
				out = append(out, p)
			} else if recursive {
				sub, err := folderSources(p, true)
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
			}
			continue
		}
		lower := strings.ToLower(name)
		for _, ext := range []string{".json", ".json.gz", ".yaml", ".yml"} {
			if strings.HasSuffix(lower, ext) {
				out = append(out, p)
				break
			}
		}
	}
	return out, nil
}
