/**
 * Error messages of the notify module's SMS codecs (CMPP, text segmentation, delivery receipts).
 * Codes about bytes a gateway sent us answer 502: the fault is upstream, not in the caller's request.
 */
export const NOTIFY_MESSAGES = {
  // CMPP framing and decoding (bytes from the gateway)
  CMPP_FRAME_LENGTH_INVALID: {
    status: 502,
    zh: 'CMPP 数据包长度 {length} 超出允许范围（{min}–{max} 字节），连接须关闭',
    en: 'CMPP Total_Length {length} is outside {min}–{max} bytes; the connection must be closed',
  },
  CMPP_PDU_TRUNCATED: { status: 502, zh: 'CMPP 数据包不完整：应有 {expected} 字节，实际 {actual} 字节', en: 'Truncated CMPP packet: {expected} bytes expected, {actual} received' },
  CMPP_PDU_LENGTH_INVALID: {
    status: 502,
    zh: 'CMPP {command} 数据包长度 {length} 与协议字段表不符（应为 {expected}）',
    en: 'CMPP {command} packet length {length} does not match its field layout ({expected} expected)',
  },
  CMPP_COMMAND_UNKNOWN: { status: 502, zh: '未知的 CMPP 命令 {commandId}', en: 'Unknown CMPP Command_Id {commandId}' },
  CMPP_PDU_FIELD_INVALID: { status: 502, zh: 'CMPP {command} 字段 {field} 的值无效：{reason}', en: 'CMPP {command} field {field} is invalid: {reason}' },
  CMPP_STATUS_REPORT_INVALID: { status: 502, zh: 'CMPP 状态报告格式错误：{reason}', en: 'Malformed CMPP status report: {reason}' },
  CMPP_STREAM_CLOSED: { status: 502, zh: 'CMPP 数据流此前已出现协议错误，须重新建立连接', en: 'The CMPP stream already had a protocol error; reconnect' },

  // CMPP encoding (our own input)
  CMPP_FIELD_INVALID: { status: 400, zh: 'CMPP 字段 {field} 的值无效：{reason}', en: 'CMPP field {field} is invalid: {reason}' },
  CMPP_VERSION_UNSUPPORTED: { status: 400, zh: '不支持的 CMPP 协议版本 {version}（支持 2.0 与 3.0）', en: 'Unsupported CMPP version {version} (2.0 and 3.0 are supported)' },
  CMPP_MSG_FMT_UNSUPPORTED: { status: 400, zh: '不支持的短信编码格式 Msg_Fmt={msgFmt}', en: 'Unsupported message format Msg_Fmt={msgFmt}' },
  CMPP_MSG_ID_INVALID: { status: 400, zh: 'CMPP 消息编号 {msgId} 无效：{reason}', en: 'CMPP Msg_Id {msgId} is invalid: {reason}' },

  // text segmentation and pricing
  SMS_TEXT_EMPTY: { status: 400, zh: '短信内容不能为空', en: 'The SMS text is empty' },
  SMS_TEXT_INVALID: { status: 400, zh: '短信内容含有无法编码的字符（位置 {index}）', en: 'The SMS text has a character that cannot be encoded (at {index})' },
  SMS_TEXT_TOO_LONG: { status: 400, zh: '短信过长：需要 {segments} 条，最多 {max} 条', en: 'The SMS is too long: {segments} segments needed, at most {max}' },
  SMS_SIGNATURE_INVALID: {
    status: 400,
    zh: '短信签名须为 {min}–{max} 个字符，且不含【】',
    en: 'The SMS signature must have {min}–{max} characters without 【】',
  },
  SMS_CONCAT_REFERENCE_INVALID: { status: 400, zh: '长短信参考号 {reference} 无效（应为 0–255）', en: 'Concatenation reference {reference} is invalid (0–255)' },
  SMS_PRICE_INVALID: {
    status: 400,
    zh: '短信单价 {price} 无效（应为非负金额，最多 5 位小数，单位元）',
    en: 'The SMS price {price} is not valid (a non-negative amount in yuan with at most 5 decimals)',
  },
  SMS_USER_DATA_INVALID: { status: 502, zh: '短信内容字节无法解码：{reason}', en: 'The SMS user data cannot be decoded: {reason}' },

  // delivery receipts
  SMS_RECEIPT_INVALID: { status: 502, zh: '状态报告无法识别：{reason}', en: 'The delivery receipt cannot be read: {reason}' },
  SMS_MESSAGE_ID_INVALID: { status: 400, zh: '短信消息编号 {id} 不符合 {radix} 数字格式（hex 为十六进制，dec 为十进制）', en: 'The message id {id} is not a {radix} number' },

  // gateway sessions (SMPP, CMPP): transport failures carry TEMPORARY or PERMANENT in GatewayError
  SMPP_FRAME_LENGTH_INVALID: {
    status: 502,
    zh: 'SMPP 数据包长度 {length} 超出允许范围（{min}–{max} 字节），连接须关闭',
    en: 'SMPP command_length {length} is outside {min}–{max} bytes; the connection must be closed',
  },
  SMPP_PDU_INVALID: { status: 502, zh: 'SMPP 数据包无法解析：{reason}', en: 'The SMPP packet cannot be decoded: {reason}' },
  SMS_GATEWAY_CONFIG_INVALID: { status: 400, zh: '短信网关配置无效：{reason}', en: 'The SMS gateway configuration is invalid: {reason}' },
  SMS_GATEWAY_BIND_FAILED: {
    status: 502,
    zh: '短信网关 {gateway} 登录失败（状态 {status}），请核对账号与密码',
    en: 'Login to SMS gateway {gateway} failed (status {status}); check the account and password',
  },
  SMS_GATEWAY_CONNECT_FAILED: { status: 503, zh: '无法连接短信网关 {gateway}：{reason}', en: 'Cannot connect to SMS gateway {gateway}: {reason}' },
  SMS_GATEWAY_UNAVAILABLE: {
    status: 503,
    zh: '短信网关 {gateway} 在 {waitMs} 毫秒内没有可用连接，短信未发出',
    en: 'SMS gateway {gateway} had no usable connection within {waitMs} ms; the message was not sent',
  },
  SMS_GATEWAY_NOT_CONNECTED: { status: 503, zh: '与短信网关 {gateway} 的连接已断开，短信未发出', en: 'The connection to SMS gateway {gateway} is down; the message was not sent' },
  SMS_GATEWAY_STOPPED: { status: 503, zh: '短信网关 {gateway} 正在停止，短信未发出', en: 'SMS gateway {gateway} is stopping; the message was not sent' },
  SMS_GATEWAY_TIMEOUT: {
    status: 504,
    zh: '短信网关 {gateway} 在 {timeoutMs} 毫秒内未应答提交，结果未知：重发前须先核对状态报告',
    en: 'SMS gateway {gateway} did not answer the submit within {timeoutMs} ms; the outcome is unknown, check receipts before resending',
  },
  SMS_GATEWAY_CONNECTION_LOST: {
    status: 503,
    zh: '短信网关 {gateway} 的连接在等待应答时断开，结果未知：重发前须先核对状态报告',
    en: 'The connection to SMS gateway {gateway} was lost while waiting for the answer; the outcome is unknown, check receipts before resending',
  },
  SMS_GATEWAY_THROTTLED: {
    status: 503,
    zh: '短信网关 {gateway} 限流（状态 {status}），短信未发出，稍后重试',
    en: 'SMS gateway {gateway} is throttling (status {status}); the message was not sent, retry later',
  },
  SMS_GATEWAY_BUSY: {
    status: 503,
    zh: '短信网关 {gateway} 暂时无法受理（状态 {status}），短信未发出，稍后重试',
    en: 'SMS gateway {gateway} cannot take the message now (status {status}); it was not sent, retry later',
  },
  SMS_GATEWAY_REJECTED: { status: 502, zh: '短信网关 {gateway} 拒绝了短信（状态 {status}）', en: 'SMS gateway {gateway} rejected the message (status {status})' },
  SMS_DESTINATION_INVALID: { status: 400, zh: '短信网关 {gateway} 拒绝了接收号码（状态 {status}）', en: 'SMS gateway {gateway} refused the destination number (status {status})' },

  // outbox, dispatcher, receipts and block list
  SMS_STATE_INVALID: { status: 409, zh: '短信当前状态 {from} 不允许 {event}', en: 'An SMS in status {from} does not allow {event}' },
  SMS_SIGNATURE_MISSING: {
    status: 400,
    zh: '短信须以已报备的签名【…】开头（第 {index} 条）',
    en: 'The SMS must start with its registered signature 【…】 (item {index})',
  },
  SMS_IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    zh: '幂等键须为 1–200 个字符（第 {index} 条）',
    en: 'The idempotency key must have 1–200 characters (item {index})',
  },
  SMS_IDEMPOTENCY_KEY_REPEATED: {
    status: 400,
    zh: '同一批次中幂等键 {key} 重复',
    en: 'The idempotency key {key} appears twice in one batch',
  },
  SMS_MESSAGE_NOT_FOUND: { status: 404, zh: '短信不存在', en: 'No such SMS message' },
  SMS_NOT_IN_DOUBT: {
    status: 409,
    zh: '该短信当前状态为 {status}，没有结果未知的提交，无需人工处理',
    en: 'The message is {status} and has no submit of unknown outcome; there is nothing to decide',
  },
  SMS_IN_DOUBT_TOO_EARLY: {
    status: 409,
    zh: '该短信的提交在 {seconds} 秒内仍可能收到应答或状态报告，请到时再处理',
    en: 'The submit may still be answered or receipted within {seconds} s; decide after that',
  },
  SMS_BLOCK_NOT_FOUND: { status: 404, zh: '黑名单中没有该记录', en: 'No such block list entry' },
  SMS_PROVIDER_UNKNOWN: { status: 500, zh: '短信通道 {provider} 未配置', en: 'The SMS provider {provider} is not configured' },
  SMS_DATE_RANGE_INVALID: { status: 400, zh: '日期范围无效：{reason}', en: 'The date range is not valid: {reason}' },
  // templates and sending (console, campaigns, API, lifecycle notices)
  SMS_TEMPLATE_BODY_INVALID: { status: 400, zh: '短信模板内容不正确：{reason}', en: 'The SMS template text is not valid: {reason}' },
  SMS_PLACEHOLDER_MISSING: { status: 400, zh: '缺少模板变量的值：{names}', en: 'Values are missing for the template placeholders: {names}' },
  SMS_PLACEHOLDER_UNKNOWN: { status: 400, zh: '模板中没有这些变量：{names}', en: 'The template has no placeholders named: {names}' },
  SMS_PLACEHOLDER_VALUE_INVALID: {
    status: 400,
    zh: '变量 {name} 的值不正确：最多 {max} 个字，不能含换行、{}或【】',
    en: 'The value of {name} is not valid: at most {max} characters, without line breaks, braces or 【】',
  },
  SMS_TEXT_OVER_LIMIT: { status: 400, zh: '短信共 {length} 个字（含签名），最多 {max} 个字', en: 'The SMS has {length} characters with its signature; at most {max} are allowed' },
  SMS_MARKETING_IN_NOTIFICATION: {
    status: 400,
    zh: '营销类模板不能通过通知渠道发送',
    en: 'A marketing template cannot be sent through the notification channel',
  },
  SMS_PHONE_LANDLINE: { status: 400, zh: '固定电话号码不能接收短信，请填写手机号码', en: 'A landline cannot receive SMS; give a mobile number' },
  SMS_SIGNATURE_UNKNOWN: { status: 400, zh: '签名不存在或不属于本单位', en: 'The signature does not exist or is not registered for your organisation' },
  SMS_SIGNATURE_TAKEN: { status: 409, zh: '本单位已登记签名【{text}】', en: 'Your organisation already registered the signature 【{text}】' },
  SMS_TEMPLATE_NAME_TAKEN: { status: 409, zh: '模板名称 {name} 已存在，请修改原模板', en: 'A template named {name} already exists; edit it instead' },
  SMS_TEMPLATE_STATE_INVALID: { status: 409, zh: '模板当前状态为 {status}，不能{action}', en: 'The template is {status}; it cannot be {action}' },
  SMS_TEMPLATE_DRAFT_EXISTS: {
    status: 409,
    zh: '模板 {name} 已有未审批的新版本（第 {version} 版），请修改该版本',
    en: 'Template {name} already has a version in progress (version {version}); edit that one',
  },
  SMS_TEMPLATE_SELF_APPROVAL: { status: 403, zh: '不能审批自己编写的模板，须由另一人审批', en: 'You cannot approve or reject a template you wrote; another person must' },
  SMS_TEMPLATE_NOT_APPROVED: { status: 409, zh: '模板 {name} 尚未审批通过，不能用于发送', en: 'Template {name} is not approved and cannot be used to send' },
  SMS_CSV_HEADER_INVALID: { status: 400, zh: '收件人文件表头应为 {expected}，实际为 {found}', en: 'The recipient file header must be {expected}; found {found}' },
  SMS_CSV_EMPTY: { status: 400, zh: '收件人文件没有数据行', en: 'The recipient file has no rows' },
  SMS_CSV_TOO_MANY: { status: 400, zh: '收件人文件有 {count} 行，一次最多 {max} 行', en: 'The recipient file has {count} rows; at most {max} per campaign' },
  SMS_CSV_ROW_WIDTH: { status: 400, zh: '该行有 {found} 列，应为 {expected} 列', en: 'The row has {found} columns; {expected} expected' },
  SMS_CSV_DUPLICATE_PHONE: { status: 400, zh: '号码与第 {row} 行重复', en: 'The number repeats line {row}' },
  SMS_CSV_ROWS_INVALID: { status: 400, zh: '收件人文件有 {count} 行错误，未发送任何短信（详见明细）', en: 'The recipient file has {count} bad rows; nothing was sent (see details)' },
  SMS_CAMPAIGN_NO_RECIPIENTS: { status: 409, zh: '没有符合条件的收件人', en: 'No recipients match' },
  SMS_QUOTA_EXCEEDED: { status: 429, zh: '该接口密钥今日已发送 {limit} 条短信，已达每日上限', en: 'This API key has sent its daily limit of {limit} messages today' },
  // HTTP gateway (signed JSON provider) and its delivery-receipt callbacks
  SMS_GATEWAY_SERVER_ERROR: {
    status: 502,
    zh: '短信网关 {gateway} 内部错误（HTTP {status}），结果未知：重发前须先核对状态报告',
    en: 'SMS gateway {gateway} failed with HTTP {status}; the outcome is unknown, check receipts before resending',
  },
  SMS_GATEWAY_RESPONSE_INVALID: { status: 502, zh: '短信网关 {gateway} 的应答无法识别：{reason}', en: 'The answer of SMS gateway {gateway} cannot be read: {reason}' },
  SMS_CALLBACK_SIGNATURE_INVALID: { status: 401, zh: '状态报告回调签名无效', en: 'The delivery-receipt callback signature is invalid' },
  SMS_CALLBACK_EXPIRED: {
    status: 401,
    zh: '状态报告回调时间戳超出允许范围（±{windowSeconds} 秒）',
    en: 'The delivery-receipt callback timestamp is outside the allowed window (±{windowSeconds} s)',
  },
  SMS_CALLBACK_INVALID: { status: 400, zh: '状态报告回调内容无效：{reason}', en: 'The delivery-receipt callback body is invalid: {reason}' },

  // sensitive-word screen
  SMS_WORD_INVALID: {
    status: 400,
    zh: '敏感词第 {index} 项「{word}」去除空格与符号后为空，无法匹配',
    en: 'Sensitive word {index} "{word}" has no letter or digit left after normalisation and could never match',
  },

  // monthly statements and quarterly failure reports
  SMS_STATEMENT_MONTH_INVALID: { status: 400, zh: '月份 {month} 无效，应为 YYYY-MM', en: 'The month {month} is not valid; YYYY-MM expected' },
  SMS_STATEMENT_QUARTER_INVALID: { status: 400, zh: '季度 {quarter} 无效，应为 YYYY-Qn（n 为 1–4）', en: 'The quarter {quarter} is not valid; YYYY-Qn (n from 1 to 4) expected' },
  SMS_STATEMENT_PERIOD_FUTURE: { status: 400, zh: '{period} 尚未开始，不能出具清单或报告', en: '{period} has not begun; there is no statement or report for it yet' },

  // sensitive-word lists and held messages
  SMS_WORD_LIST_INVALID: {
    status: 400,
    zh: '敏感词列表有 {count} 行无效（超过 50 字、含控制字符或没有文字），未保存（详见明细）',
    en: 'The word list has {count} bad lines (over 50 characters, control characters or no letter or digit); nothing was saved (see details)',
  },
  SMS_WORD_LIST_TOO_LARGE: { status: 400, zh: '敏感词列表最多 {max} 个词', en: 'A word list holds at most {max} words' },
  SMS_WORD_LIST_NOT_FOUND: { status: 404, zh: '敏感词列表版本 {version} 不存在', en: 'Word list version {version} does not exist' },
  SMS_NOT_HELD: { status: 409, zh: '该短信当前状态为 {status}，不在敏感词待审核中', en: 'The message is {status}, not held for sensitive words' },
  SMS_HOLD_DECIDER_INVALID: { status: 403, zh: '只有主管部门的人员可以放行或驳回被拦截的短信', en: 'Only a person of the authority may release or reject held messages' },

  // the provider's contract duties: usage-list hand-overs and fault reports
  SMS_DUTY_PROVIDER_UNKNOWN: { status: 404, zh: '没有结算合同以「{provider}」为短信服务商', en: 'No settlement contract names "{provider}" as its SMS provider' },
  SMS_DUTY_OTHER_PROVIDER: { status: 403, zh: '只能处理本单位（服务商 {provider}）的记录', en: 'You may only act on your own provider\'s records ({provider})' },
  SMS_USAGE_LIST_EXISTS: { status: 409, zh: '{provider} 的 {month} 短信使用量清单已交付；如需更正，请由主管部门替换', en: 'The {month} usage list of {provider} has already been handed over; the authority may replace it to correct it' },
  SMS_USAGE_LIST_MONTH_OPEN: { status: 400, zh: '{month} 尚未结束，不能交付该月的使用量清单', en: '{month} has not ended; its usage list cannot be handed over yet' },
  SMS_USAGE_LIST_DATE_FUTURE: { status: 400, zh: '交付日期 {date} 晚于今天', en: 'The hand-over date {date} is in the future' },
  SMS_USAGE_LIST_DATE_BEFORE_MONTH_END: { status: 400, zh: '交付日期 {date} 早于 {month} 结束', en: 'The hand-over date {date} is before {month} ended' },
  SMS_USAGE_LIST_NOT_FOUND: { status: 404, zh: '使用量清单交付记录不存在', en: 'No such usage-list hand-over' },
  SMS_FAULT_NOT_FOUND: { status: 404, zh: '故障报告不存在', en: 'No such fault report' },
  SMS_FAULT_TIMES_OUT_OF_ORDER: { status: 400, zh: '故障时间顺序不对（{reason}）：应为 报告 ≤ 到场 ≤ 排除', en: 'The fault times are out of order ({reason}): reported ≤ arrived ≤ cleared' },
  SMS_FAULT_TIME_FUTURE: { status: 400, zh: '{field} 晚于当前时间', en: '{field} is in the future' },
  SMS_FAULT_RATE_OUT_OF_RANGE: { status: 400, zh: '扣减比例 {rate} 不在合同约定的 {min}–{max} 之内', en: 'The deduction rate {rate} is outside the contract range {min}–{max}' },
  SMS_FAULT_NOT_OVERTIME: { status: 409, zh: '故障 {faultNo} 未超时，无需评定扣减比例', en: 'Fault {faultNo} was handled in time; there is no deduction to assess' },
} as const;
