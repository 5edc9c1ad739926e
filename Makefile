# Two commands on a fresh machine: `make serve` (build + serve the demo site) and `make test`.
# Everything else lives in tasks.py (invoke); this file only bootstraps the virtualenv.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
INVOKE := $(VENV)/bin/invoke

.PHONY: serve test build publish clean venv help
help:
	@echo "make serve   build the demo site and serve it on http://127.0.0.1:8000 (auto-rebuild)"
	@echo "make test    run the whole test suite (installs what it needs)"
	@echo "make build   build the site into output/"
	@echo "All other tasks: $(INVOKE) --list"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Schitter needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtualenv. On Debian/Ubuntu install the venv module first:"; \
	  echo "    sudo apt-get install python3-venv"; rm -rf $(VENV); exit 1; }
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

serve: $(STAMP)
	$(INVOKE) serve

test: $(STAMP)
	$(INVOKE) test

build: $(STAMP)
	$(INVOKE) build

publish: $(STAMP)
	$(INVOKE) publish

clean:
	rm -rf output cache
