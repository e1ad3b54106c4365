/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * replay_corpus.c - the fuzz target as a plain test: run every file named
 * on the command line (the committed corpus, and each input that once
 * crashed) through LLVMFuzzerTestOneInput once.  A parser that traps fails
 * the test; no libFuzzer is needed, so every build runs it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 16];

	if (argc < 2) {
		fprintf(stderr, "usage: replay_corpus FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		size_t n = fread(buf, 1, sizeof(buf), f);

		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("%d inputs, none trapped\n", argc - 1);
	return 0;
}
