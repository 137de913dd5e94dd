/** Error messages of operations: backups and restores. */
export const OPS_MESSAGES = {
  BACKUP_KEY_MISSING: {
    status: 409,
    zh: '备份使用的密钥 {keyId} 不在当前密钥文件中，请使用备份时的密钥文件',
    en: 'The backup was made with key {keyId}, which is not in the current key file; use the key file of that time',
  },
  BACKUP_MANIFEST_INVALID: { status: 400, zh: '备份清单无效：{reason}', en: 'Invalid backup manifest: {reason}' },
  BACKUP_TAMPERED: {
    status: 409,
    zh: '备份文件校验失败（{what}）：文件已损坏或被修改，或当前密钥文件不是备份时使用的那一份；未做任何恢复',
    en: 'The backup failed its integrity check ({what}): it is damaged or was altered, or this is not the key file it was made with. Nothing was restored',
  },
  BACKUP_TOOL_FAILED: { status: 500, zh: '{tool} 执行失败：{reason}', en: '{tool} failed: {reason}' },
  BACKUP_ENGINE_MISMATCH: { status: 409, zh: '该备份来自 {backup} 数据库，不能恢复到 {target}', en: 'This backup is of a {backup} database and cannot be restored into {target}' },
  BACKUP_NEWER_THAN_CODE: {
    status: 409,
    zh: '该备份来自较新的版本（{backup} 个数据库迁移，本程序只有 {code} 个），请先升级程序',
    en: 'This backup comes from a newer version ({backup} migrations; this build has {code}); upgrade first',
  },
  BACKUP_TARGET_NOT_EMPTY: {
    status: 409,
    zh: '数据目录 {dir} 不为空；恢复只写入空目录（可先将原目录改名保留）',
    en: 'The data directory {dir} is not empty; a restore only writes into an empty directory (rename the old one to keep it)',
  },
  BACKUP_RESTORE_MISMATCH: {
    status: 500,
    zh: '恢复后的数据与备份清单不一致（{tables}）',
    en: 'The restored data does not match the backup manifest ({tables})',
  },
} as const;
