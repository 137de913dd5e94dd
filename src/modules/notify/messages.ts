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
} as const;
