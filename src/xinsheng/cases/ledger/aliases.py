"""What offices call the source channels in their own ledgers, and the channel each name means.

A ledger typed up from paper says where a voice came from in the office's words: 民情记事本 for
what was heard face to face and written in the notebook, 书记信箱 for the suggestion box, and so
on. The import reads these names as the channel they mean and says in its dry run which it read
so, to be checked before anything is written. Keys are compared as headers are (no spaces,
lower case).
"""

from xinsheng.cases.choices import Channel
from xinsheng.core.sheets.table import normalise_header

_NAMES: dict[Channel, tuple[str, ...]] = {
    Channel.FACE_TO_FACE: (
        "民情记事本",
        "记事本",
        "民情日记",
        "当面反映",
        "面谈",
        "来访",
        "接访",
        "现场",
        "现场反映",
        "接待日",
        "书记接待日",
        "座谈",
        "座谈会",
    ),
    Channel.HOTLINE: (
        "电话",
        "来电",
        "热线电话",
        "服务热线",
        "服务电话",
        "职工热线",
        "心声热线",
    ),
    Channel.MAILBOX: (
        "信箱",
        "书记信箱",
        "矿长信箱",
        "总经理信箱",
        "意见信箱",
        "来信",
        "信件",
        "意见簿",
        "留言簿",
    ),
    Channel.QR: ("二维码", "扫二维码", "扫码反映"),
    Channel.TALK: ("谈心谈话", "谈话", "谈心会"),
    Channel.VISIT: ("入户走访", "家访", "下井走访", "走访慰问", "调研"),
    Channel.SURVEY: ("问卷调查", "调查问卷", "调查", "满意度调查"),
    Channel.CONGRESS: ("职工代表大会", "职代会提案", "代表提案", "提案"),
}

CHANNEL_ALIASES: dict[str, str] = {
    normalise_header(name): channel.value for channel, names in _NAMES.items() for name in names
}
