// Light, dark, or the system's: kept in localStorage, applied before the first paint.
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'hookd.theme';

export function storedTheme(): ThemeChoice {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(KEY, choice);
    document.documentElement.dataset.theme = choice;
  }
}

export const nextTheme = (choice: ThemeChoice): ThemeChoice => (choice === 'system' ? 'dark' : choice === 'dark' ? 'light' : 'system');
