package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/queries"
)

func newBrowserCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "browser",
		Short: "Neo4j Browser helpers: threatkg's style and guided tour",
		Long:  help("browser"),
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "style",
		Short: "Print threatkg's Browser stylesheet (GraSS), generated from the model",
		Example: `  threatkg browser style > threatkg.grass   # then drag it onto Neo4j Browser
  threatkg browser style | pbcopy            # then paste after :style in Browser`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), model.Declared.GraSS())
			return err
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "guide",
		Short: "Print threatkg's Browser guide (a tour of the APT10 graph) as HTML",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			guide, err := queries.Guide()
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), guide)
			return err
		},
	})
	var dir string
	assets := &cobra.Command{
		Use:   "assets --dir DIR",
		Short: "Write the style and the guide under DIR/" + queries.AssetsPath + " (for a server to serve)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			files, err := queries.BrowserAssets(model.Declared.GraSS())
			if err != nil {
				return err
			}
			for _, name := range []string{queries.StyleFile, queries.GuideFile} {
				path := filepath.Join(dir, filepath.FromSlash(queries.AssetsPath), name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					return err
				}
				if err := loaders.WriteFileAtomic(path, []byte(files[name])); err != nil {
					return err
				}
			}
			return nil
		},
	}
	assets.Flags().StringVar(&dir, "dir", "", "directory to write into")
	_ = assets.MarkFlagRequired("dir")
	cmd.AddCommand(assets)
	return cmd
}

// browserHTTPURL is where Neo4j Browser is served: --browser-url, else
// NEO4J_HTTP_URL (set by 'make neo4j'), else the default local address.
func (g *globalOptions) browserHTTPURL(flag string) string {
	if flag != "" {
		return flag
	}
	if v := g.getenv("NEO4J_HTTP_URL"); v != "" {
		return v
	}
	return "http://localhost:7474"
}

// openURL opens a URL in the desktop's browser.
func openURL(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open a browser: %w (open the URL above yourself)", err)
	}
	return nil
}
