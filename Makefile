.PHONY: bench

# The API benchmark against its references (bench/README.md); writes bench/RESULTS.md.
bench:
	bash bench/run.sh
