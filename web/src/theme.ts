// Light, dark, or the system's: kept in localStorage, applied before the first paint. The
// page always carries data-theme (the system's choice resolved here), so the stylesheet
// says each theme once.
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'hookd.theme';
const systemDark = matchMedia('(prefers-color-scheme: dark)');
let choice: ThemeChoice = 'system';

const resolved = () => (choice === 'system' ? (systemDark.matches ? 'dark' : 'light') : choice);
systemDark.addEventListener('change', () => {
  document.documentElement.dataset.theme = resolved();
});

export function storedTheme(): ThemeChoice {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function applyTheme(next: ThemeChoice): void {
  choice = next;
  if (next === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, next);
  document.documentElement.dataset.theme = resolved();
}

export const nextTheme = (current: ThemeChoice): ThemeChoice => (current === 'system' ? 'dark' : current === 'dark' ? 'light' : 'system');
