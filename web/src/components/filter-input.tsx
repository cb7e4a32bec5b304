/** A text filter kept in the URL: applied when the field is left or Enter is pressed, trimmed. */
export function FilterInput({
  name,
  label,
  value,
  placeholder,
  set,
}: {
  name: string;
  label: string;
  value: string;
  placeholder?: string;
  set: (value: string) => void;
}) {
  return (
    <label class="filter">
      <span>{label}</span>
      <input
        type="search"
        name={name}
        value={value}
        placeholder={placeholder}
        onChange={(e) => set((e.target as HTMLInputElement).value.trim())}
      />
    </label>
  );
}
