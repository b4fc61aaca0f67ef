export type ProjectChoice = { id: string; name: string; status: string };
/** What a page hands the project picker: the first page of projects, whether there are more, and the selected one. */
export type ProjectChoices = { items: ProjectChoice[]; more: boolean; selected: ProjectChoice | null };

/** How many projects a page loads up front for the picker. */
export const PROJECT_CHOICES_FIRST = 100;
