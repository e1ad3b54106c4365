/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * campaign.h - a shard's place in a campaign, for eqssim-merge: the words
 * that name the campaign (the arguments as given, but --shard and its
 * value) and the last line a shard prints when it ran to its end.
 */
#ifndef EQS_CAMPAIGN_H
#define EQS_CAMPAIGN_H

struct campaign {
	int argc;
	char **given; /* argv's pointers as given: getopt_long permutes argv */
	char **words; /* copies of the words: a parser may cut a value up in place */
	char *skip[8];
	int nr_skip;
};

/* Keep argv as given, before the options are parsed; 0, or -ENOMEM. */
int campaign_init(struct campaign *c, int argc, char **argv);
/* argv[from..to) are --shard and its value (getopt_long's optind before and after). */
void campaign_skip(struct campaign *c, char **argv, int from, int to);
/* The campaign's words joined by spaces (malloc'd), or NULL without memory. */
char *campaign_text(const struct campaign *c);
/* The shard's last --json line: it finished, with rows rows, in this campaign. */
void campaign_print_finished(const char *shard, int rows, const char *campaign);
void campaign_free(struct campaign *c);

#endif /* EQS_CAMPAIGN_H */
