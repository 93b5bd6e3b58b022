/* A C program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { int value; struct node* next; };

static struct node* push(struct node* head, int value) {
  struct node* n = malloc(sizeof *n);
  n->value = value;
  n->next = head;
  return n;
}

static int compare(const void* a, const void* b) { return *(const int*)a - *(const int*)b; }

int main(void) {
  struct node* list = NULL;
  int values[] = {5, 3, 9, 1, 7};
  for (int i = 0; i < 5; ++i) list = push(list, values[i]);
  for (struct node* n = list; n; n = n->next) printf("%d ", n->value);
  printf("\n");
  qsort(values, 5, sizeof values[0], compare);
  for (int i = 0; i < 5; ++i) printf("%d ", values[i]);
  printf("\n%zu %d\n", strlen("instrumented"), (int)sizeof(struct node));
  while (list) {
    struct node* next = list->next;
    free(list);
    list = next;
  }
  return 0;
}
