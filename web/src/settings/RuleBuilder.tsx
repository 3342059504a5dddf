import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import {
  addTo,
  FIELDS,
  HEADER_PREFIX,
  headerName,
  isHeader,
  MAX_DEPTH,
  newCondition,
  newGroup,
  OPS,
  removeNode,
  replaceNode,
  type ConditionNode,
  type GroupNode,
  type Mode,
  type Op,
} from "./rules";

/** A visual AND/OR editor of a folder's rule: groups of conditions, nested up to rules.py's depth. */
export function RuleBuilder({ value, onChange }: { value: GroupNode; onChange: (next: GroupNode) => void }) {
  return <GroupEditor group={value} root={value} depth={1} onChange={onChange} />;
}

interface EditorProps {
  root: GroupNode;
  onChange: (next: GroupNode) => void;
}

function GroupEditor({ group, root, depth, onChange }: EditorProps & { group: GroupNode; depth: number }) {
  const { t } = useI18n();
  const isRoot = group.id === root.id;
  return (
    <fieldset className="rule-group" data-depth={depth}>
      <legend>
        <label>
          <span className="visually-hidden">{t("settings.rules.mode")}</span>
          <select
            name="mode"
            value={group.mode}
            onChange={(e) => onChange(replaceNode(root, group.id, (g) => ({ ...g, mode: e.target.value as Mode })))}
          >
            <option value="all">{t("settings.rules.all")}</option>
            <option value="any">{t("settings.rules.any")}</option>
          </select>
        </label>
      </legend>
      {group.items.length === 0 && <p className="muted">{isRoot ? t("settings.rules.none") : t("settings.rules.emptyGroup")}</p>}
      <ul>
        {group.items.map((item, index) => (
          <li key={item.id}>
            {index > 0 && <span className="rule-joiner">{t(group.mode === "all" ? "settings.rules.and" : "settings.rules.or")}</span>}
            {item.kind === "group" ? (
              <GroupEditor group={item} root={root} depth={depth + 1} onChange={onChange} />
            ) : (
              <ConditionEditor condition={item} root={root} onChange={onChange} />
            )}
          </li>
        ))}
      </ul>
      <div className="rule-actions">
        <button type="button" onClick={() => onChange(addTo(root, group.id, newCondition()))}>
          {t("settings.rules.addCondition")}
        </button>
        {depth < MAX_DEPTH && (
          <button type="button" onClick={() => onChange(addTo(root, group.id, newGroup(group.mode === "all" ? "any" : "all", [newCondition()])))}>
            {t("settings.rules.addGroup")}
          </button>
        )}
        {!isRoot && (
          <button type="button" className="danger" onClick={() => onChange(removeNode(root, group.id))}>
            {t("settings.rules.removeGroup")}
          </button>
        )}
      </div>
    </fieldset>
  );
}

function ConditionEditor({ condition, root, onChange }: EditorProps & { condition: ConditionNode }) {
  const { t } = useI18n();
  const change = (fields: Partial<ConditionNode>) =>
    onChange(replaceNode(root, condition.id, (c) => ({ ...c, ...fields }) as ConditionNode));
  const header = isHeader(condition.field);
  return (
    <div className="rule-condition" role="group" aria-label={t("settings.rules.condition")}>
      <label className="inline">
        <input type="checkbox" name="not" checked={condition.not} onChange={(e) => change({ not: e.target.checked })} />
        {t("settings.rules.not")}
      </label>
      <label>
        <span className="visually-hidden">{t("settings.rules.field")}</span>
        <select
          name="field"
          value={header ? "header" : condition.field}
          onChange={(e) => change({ field: e.target.value === "header" ? HEADER_PREFIX : e.target.value })}
        >
          {FIELDS.map((field) => (
            <option key={field} value={field}>
              {t(`settings.rules.field.${field}` as MessageKey)}
            </option>
          ))}
          <option value="header">{t("settings.rules.field.header")}</option>
        </select>
      </label>
      {header && (
        <label>
          <span className="visually-hidden">{t("settings.rules.headerName")}</span>
          <input
            name="header"
            placeholder="List-Id"
            maxLength={190}
            value={headerName(condition.field)}
            onChange={(e) => change({ field: `${HEADER_PREFIX}${e.target.value.replace(/[\s:]/g, "")}` })}
          />
        </label>
      )}
      <label>
        <span className="visually-hidden">{t("settings.rules.op")}</span>
        <select name="op" value={condition.op} onChange={(e) => change({ op: e.target.value as Op })}>
          {OPS.map((op) => (
            <option key={op} value={op}>
              {t(`settings.rules.op.${op}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="grow">
        <span className="visually-hidden">{t("settings.rules.value")}</span>
        <input
          name="value"
          maxLength={500}
          placeholder={condition.op === "matches" ? "^(RDV|rendez-vous)" : ""}
          value={condition.value}
          onChange={(e) => change({ value: e.target.value })}
        />
      </label>
      <button type="button" className="danger" onClick={() => onChange(removeNode(root, condition.id))}>
        {t("settings.rules.remove")}
      </button>
    </div>
  );
}
