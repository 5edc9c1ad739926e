"""Reading ahead: Markdown files read in worker processes while the build goes on."""
