/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * campaign.c - the words that name a sharded campaign and a shard's last
 * line (campaign.h), shared by eqssim-stress and eqssim-explore.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "cli.h"
#include "json.h"

int campaign_init(struct campaign *c, int argc, char **argv)
{
	memset(c, 0, sizeof(*c));
	c->argc = argc;
	c->given = calloc((size_t)argc + 1, sizeof(*c->given));
	c->words = calloc((size_t)argc + 1, sizeof(*c->words));
	if (!c->given || !c->words)
		return -ENOMEM;
	for (int i = 0; i < argc; i++) {
		c->given[i] = argv[i];
		c->words[i] = strdup(argv[i]);
		if (!c->words[i])
			return -ENOMEM;
	}
	return 0;
}

void campaign_skip(struct campaign *c, char **argv, int from, int to)
{
	for (int i = from; i < to && c->nr_skip < 8; i++)
		c->skip[c->nr_skip++] = argv[i];
}

char *campaign_text(const struct campaign *c)
{
	size_t len = 1;
	char *text;

	for (int i = 1; i < c->argc; i++)
		len += strlen(c->words[i]) + 1;
	text = calloc(1, len);
	for (int i = 1, first = 1; text && i < c->argc; i++) {
		bool skipped = false;

		for (int k = 0; k < c->nr_skip; k++)
			skipped |= c->given[i] == c->skip[k];
		if (skipped)
			continue;
		if (!first)
			strcat(text, " ");
		strcat(text, c->words[i]);
		first = 0;
	}
	return text;
}

void campaign_print_finished(const char *shard, int rows, const char *campaign)
{
	struct json j;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_string(&j, "tool", cli_prog);
	json_string(&j, "shard", shard);
	json_bool(&j, "finished", true);
	json_uint(&j, "rows", (unsigned long long)rows);
	json_string(&j, "campaign", campaign);
	json_end_object(&j);
	putchar('\n');
	fflush(stdout);
}

void campaign_free(struct campaign *c)
{
	for (int i = 0; c->words && i < c->argc; i++)
		free(c->words[i]);
	free(c->words);
	free(c->given);
	memset(c, 0, sizeof(*c));
}
